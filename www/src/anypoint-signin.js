// Entry module: loads the wasm next to this file and defines <anypoint-signin>.
import { define } from './define.js';

await define();
