// Stylesheets are imported for their side effect; esbuild collects them into app.css.
declare module '*.css';
