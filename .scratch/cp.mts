import { parse } from 'csv-parse/sync';
for (const t of ['h\n1\n"a\r\nb"\n2\n"x\ny"\n3\n', 'h\r\n1\r\n"a\r\nb"\r\n2\r\n"x\ny"\r\n3\r\n', 'h\n1\n"a\rb"\n2\n']) {
  const r = parse(t, { info: true, bom: true, relax_column_count: true, skip_empty_lines: true }) as { record: string[]; info: { lines: number } }[];
  console.log(JSON.stringify(r.map((x) => [x.record[0], x.info.lines])));
}
