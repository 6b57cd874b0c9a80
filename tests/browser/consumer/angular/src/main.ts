// An Angular app built with Angular's own build (@angular/build's application builder): <anypoint-signin> in a
// standalone component's template (CUSTOM_ELEMENTS_SCHEMA), its events typed by the package's declarations.
import { bootstrapApplication } from '@angular/platform-browser';
import { AppComponent } from './app';

bootstrapApplication(AppComponent).catch((error) => console.error(error));
