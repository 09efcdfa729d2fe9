/**
 * The workbench's KQL editor: monaco with @kusto/monaco-kusto (highlighting, completion, the language
 * service's own diagnostics) and the workspace schema. Loaded with a dynamic import, so monaco is only
 * downloaded on /workbench. Each worker is its own bundle (dist/web/*.worker.js, see scripts/build-web.mjs).
 */
// edcore.main: the editor with all its contributions (suggest widget, hover, find), without other languages
import 'monaco-editor/esm/vs/editor/edcore.main.js';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import { getKustoWorker } from '@kusto/monaco-kusto';
import type { ApiDiagnostic, SchemaResponse } from '../../server/api.js';

self.MonacoEnvironment = {
  getWorker(_id: string, label: string): Worker {
    return new Worker(label === 'kusto' ? '/kusto.worker.js' : '/editor.worker.js');
  },
};

export interface KqlEditor {
  getValue(): string;
  setValue(text: string): void;
  focus(): void;
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
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => opts.onRun());
  editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, () => opts.onRun());
  editor.onDidChangeModelContent(() => {
    opts.onChange?.(editor.getValue());
    // stale server markers would point at text that moved
    const model = editor.getModel();
    if (model) monaco.editor.setModelMarkers(model, 'kqlite', []);
  });
  return {
    getValue: () => editor.getValue(),
    setValue: (text) => editor.setValue(text),
    focus: () => editor.focus(),
    setDiagnostics(diagnostics) {
      const model = editor.getModel();
      if (!model) return;
      monaco.editor.setModelMarkers(model, 'kqlite', diagnostics.map((d) => {
        const s = model.getPositionAt(d.start);
        const e = model.getPositionAt(Math.max(d.end, d.start + 1));
        return {
          severity: SEVERITY[d.severity], message: d.suggestion && !d.message.includes(d.suggestion) ? `${d.message} (did you mean '${d.suggestion}'?)` : d.message, code: d.code,
          startLineNumber: s.lineNumber, startColumn: s.column, endLineNumber: e.lineNumber, endColumn: e.column,
        };
      }));
    },
    revealOffset(offset) {
      const model = editor.getModel();
      if (!model) return;
      const p = model.getPositionAt(offset);
      editor.setPosition(p);
      editor.revealPositionInCenter(p);
      editor.focus();
    },
    dispose: () => editor.dispose(),
  };
}

/** Gives the Kusto language service the workspace's tables, so completion and checks know the columns. */
export async function setKustoSchema(schema: SchemaResponse, modelUri: monaco.Uri | undefined = monaco.editor.getModels()[0]?.uri): Promise<void> {
  if (!modelUri) return;
  const database = {
    name: schema.database,
    tables: schema.tables.map((t) => ({ name: t.name, entityType: 'Table' as const, columns: t.columns.map((c) => ({ name: c.name, type: c.type })), docstring: t.inWorkspace ? 'in this workspace' : 'Defender schema (no data here)' })),
    functions: [],
    entityGroups: [],
    majorVersion: 1,
    minorVersion: 0,
  };
  const accessor = await getKustoWorker();
  const worker = await accessor(modelUri);
  await worker.setSchema({ clusterType: 'Engine', cluster: { connectionString: 'kqlite', databases: [database] }, database } as Parameters<typeof worker.setSchema>[0]);
}
