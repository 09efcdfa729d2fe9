/**
 * Links a stylesheet of this origin once and resolves when it has loaded, so a component that measures text
 * (monaco does, when it is created) only starts once its styles apply. Used for /editor.css: monaco's ~120 KiB
 * of styles, which only the workbench needs (see scripts/build-web.mjs).
 */
const loading = new Map<string, Promise<void>>();

export function loadStylesheet(href: string): Promise<void> {
  let done = loading.get(href);
  if (!done) {
    done = new Promise<void>((resolve, reject) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      link.onload = () => resolve();
      link.onerror = () => {
        link.remove();
        loading.delete(href); // a later visit tries again
        reject(new Error(`could not load ${href}`));
      };
      document.head.append(link);
    });
    loading.set(href, done);
  }
  return done;
}
