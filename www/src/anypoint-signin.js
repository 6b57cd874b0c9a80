// Entry module: loads the wasm next to this file and defines <anypoint-signin>.
import init, { define } from './anypoint_signin.js';

await init();
define('anypoint-signin');
