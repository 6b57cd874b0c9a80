import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import 'anypoint-signin';
import type { AnypointSigninDetail, AnypointSigninErrorDetail } from 'anypoint-signin';

// The authority is an [attr.…] binding, which Angular applies only after the element is in the page: the element
// waits a task for such attributes before it leaves a sign-in's callback to another element. (The package test
// writes the local site's issuer and origin over ISSUER and ORIGIN before it builds.)
@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <anypoint-signin id="signin" clientid="anypoint-signin-demo" [attr.authority]="issuer" redirecturi="ORIGIN/"
      (anypoint-signin)="signedIn($event)" (anypoint-signin-error)="failed($event)"></anypoint-signin>
    <p id="who">{{ who() }}</p>
    <p id="error">{{ error() }}</p>`,
})
export class AppComponent {
  readonly issuer = "ISSUER";
  readonly who = signal('nobody');
  readonly error = signal('');

  // With strictTemplates, $event has the type the package's declarations give the element's event.
  signedIn(event: CustomEvent<AnypointSigninDetail>) { this.who.set(event.detail.profile.name ?? event.detail.accessToken); }
  failed(event: CustomEvent<AnypointSigninErrorDetail>) { this.error.set(`${event.detail.code}: ${event.detail.message}`); }
}
