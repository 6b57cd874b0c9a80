// The element's published surface, read from the package's Custom Elements Manifest (generated from the code's
// registry: www/meta), so that the playground's choices, defaults, events and custom properties are the
// element's own and follow it when it changes.
const manifest = await (await fetch('/anypoint-signin/custom-elements.json')).json();
const element = manifest.modules.flatMap((m) => m.declarations).find((d) => d.tagName === 'anypoint-signin');
const attribute = (name) => element.attributes.find((a) => a.name === name);

// A choice attribute's words ('a' | 'b' in the manifest's type text; the locale's built-in languages), and any
// attribute's default ('' if none).
export const choices = (name) => [...attribute(name).type.text.matchAll(/'([^']*)'/g)].map((m) => m[1]);
export const defaultOf = (name) => attribute(name).default?.replace(/^'|'$/g, '') ?? '';
// Every event, without the earlier element's names for ours (deprecated: the same event again).
export const EVENTS = element.events.filter((e) => !e.deprecated).map((e) => e.name);
export const CSS_PROPERTIES = element.cssProperties;
