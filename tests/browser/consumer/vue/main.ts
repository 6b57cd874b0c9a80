// A Vue 3 app bundled with Vite: the element in a single-file component (App.vue).
import { createApp } from 'vue';
import App from './App.vue';

const root = document.getElementById('app')!;
createApp(App, { issuer: root.dataset.issuer!, origin: root.dataset.origin! }).mount(root);
