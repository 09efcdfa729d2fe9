/**
 * The workbench's KQL editor: monaco with @kusto/monaco-kusto (highlighting, completion, the language
 * service's own diagnostics) and the workspace schema. Loaded with a dynamic import, so monaco is only
 * downloaded on /workbench. Each worker is its own bundle (dist/web/*.worker.js, see scripts/build-web.mjs).
 */
// edcore.main: the editor with all its contributions (suggest widget, hover, find), without other languages
import 'monaco-editor/esm/vs/editor/edcore.main.js';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import { getKustoWorker, kustoDefaults } from '@kusto/monaco-kusto';
import type { ApiDiagnostic } from '../../server/api.js';
import { languageServiceMarkersToShow, sameMarkers } from './marker-overlap.js';

self.MonacoEnvironment = {
  getWorker(_id: string, label: string): Worker {
    return new Worker(label === 'kusto' ? '/kusto.worker.js' : '/editor.worker.js');
  },
};

// Colouring comes from two places. The language service colours by meaning (table, column, function) in its
// worker, but only once that worker has loaded (an 8 MB script: seconds on a busy machine) and has the schema,
// and again 500 ms after each pause in typing; until then the text stays plain grey unless monaco-kusto's
// schema-unaware Monarch tokenizer is on, which colours operators, keywords, strings and numbers at once on
// the main thread. Set before any editor exists: changing the settings later restarts the worker.
kustoDefaults.setLanguageSettings({ ...kustoDefaults.languageSettings, useTokenColorization: true, useSemanticColorization: true });

/**
 * Marker owners: monaco-kusto uses its language id; the server's diagnostics are ours. Where both mark the same
 * problem the server's marker wins (marker-overlap.ts): the language service's is taken out of its owner's set.
 */
const LANGUAGE_SERVICE_MARKERS = 'kusto';
const SERVER_MARKERS = 'kqlite';

export interface KqlEditor {
  getValue(): string;
  /** The selection as offsets into the text (start === end: just the cursor). */
  getSelection(): { start: number; end: number };
  setValue(text: string): void;
  focus(): void;
  /**
   * Gives the Kusto language service the database's tables, so completion, colouring and checks know the
   * columns: the answer of `.show database kqlite schema as json`, which monaco-kusto reads as Kusto's own.
   */
  setSchema(showSchema: unknown): Promise<void>;
  /** Shows the server's diagnostics as markers (offsets into the text). Empty clears them. */
  setDiagnostics(diagnostics: readonly ApiDiagnostic[]): void;
  revealOffset(offset: number): void;
  dispose(): void;
}

const SEVERITY = { error: monaco.MarkerSeverity.Error, warning: monaco.MarkerSeverity.Warning, info: monaco.MarkerSeverity.Info } as const;

export function createKqlEditor(host: HTMLElement, opts: { value: string; onRun: () => void; onChange?: (text: string) => void; label: string }): KqlEditor {
  const editor = monaco.editor.create(host, {
    value: opts.value,
    language: 'kusto',
    theme: 'kusto-dark',
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    lineNumbersMinChars: 3,
    scrollBeyondLastLine: false,
    wordWrap: 'on',
    fixedOverflowWidgets: true,
    // Enter keeps meaning "new line" (a multi-line query is the norm); Tab accepts a completion.
    acceptSuggestionOnEnter: 'off',
    ariaLabel: opts.label,
    tabFocusMode: false,
  });
  const model = editor.getModel()!;
  // Start the language service's worker now, not when the schema arrives: loading it takes seconds.
  const worker = getKustoWorker().then((accessor) => accessor(model.uri));
  const markers = oneMarkerPerProblem(host, model);
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => opts.onRun());
  editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, () => opts.onRun());
  editor.onDidChangeModelContent(() => {
    opts.onChange?.(editor.getValue());
    // Markers from either source describe text that is gone. Monaco would go on drawing them wherever the
    // edit squeezed their range (after select-all and retyping: a squiggle at the end of the new, valid
    // query) until the language service re-validates, 500 ms after typing pauses and later on a busy machine.
    markers.clear();
  });
  return {
    getValue: () => editor.getValue(),
    getSelection() {
      const sel = editor.getSelection();
      if (!sel) return { start: 0, end: 0 };
      return { start: model.getOffsetAt(sel.getStartPosition()), end: model.getOffsetAt(sel.getEndPosition()) };
    },
    setValue: (text) => editor.setValue(text),
    focus: () => editor.focus(),
    async setSchema(showSchema) {
      await (await worker).setSchemaFromShowSchema(showSchema, 'kqlite', 'kqlite');
    },
    setDiagnostics(diagnostics) {
      markers.setServer(diagnostics.map((d) => {
        const s = model.getPositionAt(d.start);
        const e = model.getPositionAt(Math.max(d.end, d.start + 1));
        return {
          severity: SEVERITY[d.severity], message: d.suggestion && !d.message.includes(d.suggestion) ? `${d.message} (did you mean '${d.suggestion}'?)` : d.message, code: d.code,
          startLineNumber: s.lineNumber, startColumn: s.column, endLineNumber: e.lineNumber, endColumn: e.column,
        };
      }));
    },
    revealOffset(offset) {
      const p = model.getPositionAt(offset);
      editor.setPosition(p);
      editor.revealPositionInCenter(p);
      editor.focus();
    },
    dispose() {
      markers.dispose();
      editor.dispose();
    },
  };
}

/**
 * Keeps the language service's markers that the server's do not cover (marker-overlap.ts), whichever comes
 * first: when the server's arrive, the language service's last markers are filtered again; when the language
 * service sets new ones (500 ms after typing or moving the cursor pauses, again once it has the schema), they
 * are filtered as they land. Its markers are kept as it set them, so a marker hidden under a server marker
 * comes back when the server's are cleared. The host's `data-markers-hidden` counts the hidden ones.
 */
function oneMarkerPerProblem(host: HTMLElement, model: monaco.editor.ITextModel) {
  let server: monaco.editor.IMarkerData[] = [];
  let languageService: monaco.editor.IMarkerData[] = []; // as the language service last set them
  let shown: monaco.editor.IMarkerData[] = []; // what its owner holds now
  const readLanguageService = () => monaco.editor.getModelMarkers({ owner: LANGUAGE_SERVICE_MARKERS, resource: model.uri });
  const showLanguageService = () => {
    shown = languageServiceMarkersToShow(languageService, server);
    host.dataset['markersHidden'] = String(languageService.length - shown.length);
    // setting the same set again would only fire another change
    if (!sameMarkers(readLanguageService(), shown)) monaco.editor.setModelMarkers(model, LANGUAGE_SERVICE_MARKERS, shown);
  };
  const listener = monaco.editor.onDidChangeMarkers((uris) => {
    if (!uris.some((u) => u.toString() === model.uri.toString())) return;
    const now = readLanguageService();
    // Our own filtered set coming back (the event fires after the change, batched) is not news. The language
    // service setting exactly that set looks the same; then its hidden markers are kept until the next edit.
    if (sameMarkers(now, shown)) return;
    languageService = now;
    showLanguageService();
  });
  return {
    setServer(markers: monaco.editor.IMarkerData[]) {
      server = markers;
      monaco.editor.setModelMarkers(model, SERVER_MARKERS, server);
      showLanguageService();
    },
    clear() {
      server = [];
      languageService = [];
      shown = [];
      host.dataset['markersHidden'] = '0';
      monaco.editor.setModelMarkers(model, SERVER_MARKERS, []);
      monaco.editor.setModelMarkers(model, LANGUAGE_SERVICE_MARKERS, []);
    },
    dispose: () => listener.dispose(),
  };
}
