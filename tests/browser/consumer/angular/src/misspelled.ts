// Each line marked `error` must fail Angular's template type-check (strictTemplates), and no other: $event is
// typed by the package's declarations.
import { Component, CUSTOM_ELEMENTS_SCHEMA } from '@angular/core';
import 'anypoint-signin';
import type { AnypointSigninErrorDetail } from 'anypoint-signin';

@Component({
  selector: 'app-misspelled',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <anypoint-signin (anypoint-signin)="failed($event)"></anypoint-signin> <!-- error: a sign-in is not an error -->
    <anypoint-signin (signedinchange)="flag($event.detail.valeu)"></anypoint-signin> <!-- error: value -->
    <anypoint-signin (anypoint-signin-error)="failed($event)" (signedinchange)="flag($event.detail.value)"></anypoint-signin>`,
})
export class MisspelledComponent {
  failed(event: CustomEvent<AnypointSigninErrorDetail>) { console.log(event.detail.code); }
  flag(value: boolean) { console.log(value); }
}
