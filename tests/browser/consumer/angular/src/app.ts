import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import 'anypoint-signin';
import type { AnypointSigninDetail, AnypointSigninErrorDetail } from 'anypoint-signin';

// The configuration is static attributes, as in an app's own template (the package test writes the local site's
// issuer and origin over ISSUER and ORIGIN before it builds). Not [attr.…] bindings: Angular applies those only
// after the element is in the page, and the element reads its configuration, and takes a sign-in's callback,
// as soon as it is connected.
@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <anypoint-signin id="signin" clientid="anypoint-signin-demo" authority="ISSUER" redirecturi="ORIGIN/"
      (anypoint-signin)="signedIn($event)" (anypoint-signin-error)="failed($event)"></anypoint-signin>
    <p id="who">{{ who() }}</p>
    <p id="error">{{ error() }}</p>`,
})
export class AppComponent {
  readonly who = signal('nobody');
  readonly error = signal('');

  // With strictTemplates, $event has the type the package's declarations give the element's event.
  signedIn(event: CustomEvent<AnypointSigninDetail>) { this.who.set(event.detail.profile.name ?? event.detail.accessToken); }
  failed(event: CustomEvent<AnypointSigninErrorDetail>) { this.error.set(`${event.detail.code}: ${event.detail.message}`); }
}
