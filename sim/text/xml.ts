// Text for XML documents (the JUnit report, the SVG charts of sweep and layout): markup
// characters as entities, and what XML 1.0 cannot hold made visible instead of breaking the file.

/**
 * Characters XML 1.0 has no place for, not even as a character reference (§2.2 Char): the C0
 * controls but tab, line feed and carriage return; lone UTF-16 surrogates; U+FFFE and U+FFFF.
 */
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A character XML cannot hold, as the JSON escape a reader recognises: "\u0001". */
function visible(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Text for element content: markup characters as entities, a carriage return as a reference (a parser would turn it into a line feed). */
export function xmlText(text: string): string {
  return text
    .replace(NOT_XML_CHAR, visible)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Text for a double-quoted attribute: also quotes, and tab, line feed and carriage return as references (attribute-value normalisation would make them spaces). */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
