// The docs cite only what the repository holds: every relative markdown link of the pages
// (README.md, docs/*.md, the folders' README.md) leads to a file, and its #anchor to a
// heading there; every file a page, a code comment or a platform source string names
// (a .md page anywhere, or a path into the repository's folders) exists; and every
// section cited as `docs/NAME.md "Section"` is a heading of that page. Facts that come from
// outside (datasheets, the rpmsg-lite sources) are cited through docs/sources.md.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(__dirname, '..');
const FOLDERS = ['bench', 'bin', 'docs', 'examples', 'firmware', 'fuzz', 'platforms', 'scenario-engine', 'scenarios', 'sim', 'teach', 'tools'];

function walk(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : walk(path, keep);
    return keep(path) ? [path] : [];
  });
}

const pages = ['README.md', ...FOLDERS.flatMap((d) => walk(d, (f) => f.endsWith('.md')))];
const sources = FOLDERS.flatMap((d) => walk(d, (f) => /\.(ts|mjs|cjs|yaml)$/.test(f) && !f.includes('/golden/') && !f.includes('/fixtures/') && f !== 'tools/doc-links.test.ts'));
/** Tests name files that do not exist on purpose (no-such.yaml) and build fixtures' names. */
const isTest = (file: string): boolean => file.endsWith('.test.ts');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function headings(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  return [...text.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)].map((m) => m[1]!.replace(/`/g, ''));
}

/** `text` without its fenced code blocks and inline code spans (their links are examples). */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

describe('markdown links', () => {
  test.each(pages)('%s: every relative link leads to a file (and heading) of the repository', (page) => {
    const text = prose(readFileSync(join(root, page), 'utf8'));
    const broken: string[] = [];
    for (const m of text.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? page : relative(root, join(root, dirname(page), path));
      if (path !== '' && !existsSync(join(root, file))) broken.push(`${target}: no such file`);
      else if (anchor !== undefined && file.endsWith('.md') && !headings(file).map(slug).includes(anchor)) broken.push(`${target}: no heading #${anchor} in ${file}`);
    }
    expect(broken).toEqual([]);
  });
});

describe('cited files and sections', () => {
  // A page named anywhere (RPMSG-LITE.md, docs/design.md) must be a file of the repository,
  // found from the citing file's folder, from the root or in docs/.
  const pageName = /(?<![\w/.-])((?:\.\.?\/)?(?:[\w-]+\/)*[\w.-]+\.md)\b/g;
  // A path into one of the folders (firmware/costs/libc.ts, scenarios/golden/).
  const repoPath = new RegExp(`(?<![\\w/.-])((?:${FOLDERS.join('|')})/[\\w./-]*[\\w/])(?![\\w*<-]|\\.\\w)`, 'g');
  // A section: docs/sources.md "Link-up", or design.md "Errors".
  const section = /\b((?:docs\/)?[\w-]+\.md) "([^"]+)"/g;
  /** A section's name as cited: code marks dropped, a comment's line breaks joined. */
  const sectionName = (cited: string): string => cited.replace(/`/g, '').replace(/\s*\n\s*(?:\/\/|\*|#)?\s*/g, ' ');
  /** Paths into rpmsg-lite's repository (docs/sources.md names its files). */
  const external = /^(lib|doxygen)\//;

  function problems(file: string): string[] {
    // In a page, code blocks hold commands and examples (the README tour's commands are run
    // by readme-tour.test.ts); code spans are checked.
    const raw = readFileSync(join(root, file), 'utf8');
    const text = file.endsWith('.md') ? raw.replace(/^```[\s\S]*?^```$/gm, '') : raw;
    const found: string[] = [];
    const here = dirname(file);
    for (const m of text.matchAll(pageName)) {
      const name = m[1]!;
      if (external.test(name)) continue;
      if (![join(here, name), name, join('docs', name)].some((p) => isFile(join(root, p)))) found.push(`${name}: not in the repository`);
    }
    for (const m of isTest(file) ? [] : text.matchAll(repoPath)) {
      const path = m[1]!.replace(/\.$/, '');
      // Placeholders (scenarios/*.yaml, platforms/<name>/) and files a command writes are not citations.
      if (/[*<>]/.test(path) || /^(dist|scenarios\/golden\/[\w.-]+\.(actual|new))/.test(path)) continue;
      if (!existsSync(join(root, path))) found.push(`${path}: no such file or folder`);
    }
    for (const m of text.matchAll(section)) {
      const [name, heading] = [m[1]!, sectionName(m[2]!)];
      const page = [join(here, name), name, join('docs', name)].map((p) => relative(root, join(root, p))).find((p) => isFile(join(root, p)));
      if (page !== undefined && !headings(page).includes(heading)) found.push(`${name} "${heading}": no such section`);
    }
    return found;
  }

  test.each([...pages, ...sources])('%s', (file) => {
    expect(problems(file)).toEqual([]);
  });
});

test('slug is GitHub\'s', () => {
  expect(slug('Exception entry and tail-chaining')).toBe('exception-entry-and-tail-chaining');
  expect(slug('JSON Lines (.jsonl), the canonical form')).toBe('json-lines-jsonl-the-canonical-form');
  expect(slug('`--set`')).toBe('--set');
});
