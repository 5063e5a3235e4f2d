/** Saves a blob as a file in the browser. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** CSV text from rows; quoted where needed and with spreadsheet formulas neutralised. */
export function toCsv(header: string[], rows: Array<Array<string | number | undefined>>): string {
  const cell = (value: string | number | undefined) => {
    if (value === undefined) return '';
    const text = String(value);
    const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `${[header, ...rows].map(r => r.map(cell).join(',')).join('\n')}\n`;
}
