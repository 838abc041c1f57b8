// A small XML writer for the Open311 formats: elements and text only (GeoReport v2 uses no attributes),
// escaped, and with the characters XML 1.0 cannot carry dropped, so any stored text gives well-formed XML.

/** A value: text, a number or boolean (written as text), null (an empty element), or nested elements. */
export type XmlValue = string | number | boolean | null | undefined | XmlNode[];
/** One element, by name, with its value; a list of elements repeats the name. */
export type XmlNode = [name: string, value: XmlValue];

// Tab, LF, CR and everything from U+0020 up, except lone surrogates and U+FFFE/U+FFFF.
const NOT_XML_CHAR =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function write(out: string[], [name, value]: XmlNode): void {
  // Names come from our own code, never from input; a bad one is a programming error.
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === null || value === undefined || value === '') {
    out.push(`<${name}/>`);
  } else if (Array.isArray(value)) {
    out.push(`<${name}>`);
    for (const child of value) write(out, child);
    out.push(`</${name}>`);
  } else {
    out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
  }
}

/** A whole document: the declaration the spec requires, then the root element. */
export function xmlDocument(root: XmlNode): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  write(out, root);
  out.push('\n');
  return out.join('');
}

/** The element name of one item of each list in the GeoReport v2 and discovery formats. */
const ITEMS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
};

function nodesOf(value: unknown, name: string): XmlValue {
  if (Array.isArray(value)) {
    const item = ITEMS[name];
    if (!item) throw new Error(`no item element for the list ${name}`);
    return value.map((v): XmlNode => [item, nodesOf(v, item)]);
  }
  if (value !== null && typeof value === 'object')
    return Object.entries(value).map(([k, v]): XmlNode => [k, nodesOf(v, k)]);
  return value as XmlValue;
}

export type Open311Format = 'json' | 'xml';
export const CONTENT_TYPES: Record<Open311Format, string> = { json: 'application/json', xml: 'text/xml' };

/**
 * One answer in the chosen format: JSON as is, or the same shape as XML by the Spark convention
 * (a list under its root element, one item element per entry: services/service, errors/error…).
 */
export function renderOpen311(format: Open311Format, root: string, value: unknown): Buffer {
  return Buffer.from(
    format === 'json' ? JSON.stringify(value) : xmlDocument([root, nodesOf(value, root)]),
    'utf8',
  );
}
