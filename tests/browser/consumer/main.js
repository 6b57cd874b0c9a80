// A bundled app: the package's default entry defines <anypoint-signin>; the bundler copies the wasm.
import 'anypoint-signin';
