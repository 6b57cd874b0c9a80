// `import 'anypoint-signin/react'`: the element, plus (in react.d.ts) its React 19 JSX typing.
import './anypoint-signin.js';
