// Vue's documented way for custom elements: tell its template compiler the tag is not a Vue component.
import vue from '@vitejs/plugin-vue';

export default { plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'anypoint-signin' } } })] };
