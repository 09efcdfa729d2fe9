// Modules without their own type declarations.
// Stylesheets are imported for their side effect; esbuild collects them into app.css.
declare module '*.css';
// monaco's full editor (all contributions), imported for its side effect; its API is typed by editor.api.
declare module 'monaco-editor/esm/vs/editor/edcore.main.js';
