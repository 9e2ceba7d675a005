// Printable certificates (training's 结业证书, people's 志愿服务证明) as one-page A4 PDFs: pdf-lib,
// with Noto Sans SC (OFL, from the npm registry) embedded as a subset of the characters printed.
import { readFile } from 'node:fs/promises';

const FONT_FILE = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
/** The font file (10 MB), read once per process on first use. */
let fontBytes: Promise<Buffer> | null = null;

/** A certificate's text as printed (also what tests read back). */
export interface CertificateLines {
  title: string;
  body: string[];
  footer: string[];
}

/** 2021年10月13日 (the date's UTC day). */
export function chineseDate(d: Date): string {
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/**
 * The PDF bytes of one certificate: the title centred, the body from the top (its first line at
 * `firstLineSize`), the footer (issuer, date, number) bottom right, inside a red border.
 */
export async function certificatePdf(
  lines: CertificateLines,
  meta: { title: string; subject: string; firstLineSize?: number },
): Promise<Uint8Array> {
  fontBytes ??= readFile(FONT_FILE);
  // loaded on first use, as exceljs is (index.ts)
  const [{ PDFDocument, rgb }, fontkit] = await Promise.all([import('pdf-lib'), import('@pdf-lib/fontkit').then((m) => m.default)]);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  // Subset: only the glyphs printed are embedded (tens of kilobytes, not the 10 MB font).
  const font = await doc.embedFont(await fontBytes, { subset: true });
  doc.setTitle(meta.title);
  doc.setSubject(meta.subject);
  const page = doc.addPage([595.28, 841.89]); // A4 in points
  const { width, height } = page.getSize();
  const titleSize = 36;
  page.drawRectangle({ x: 36, y: 36, width: width - 72, height: height - 72, borderColor: rgb(0.75, 0.1, 0.1), borderWidth: 3 });
  page.drawText(lines.title, {
    x: (width - font.widthOfTextAtSize(lines.title, titleSize)) / 2,
    y: 700,
    size: titleSize,
    font,
    color: rgb(0.1, 0.1, 0.1),
  });
  lines.body.forEach((text, i) => page.drawText(text, { x: 80, y: 600 - i * 32, size: i === 0 ? (meta.firstLineSize ?? 15) : 15, font }));
  lines.footer.forEach((text, i) => page.drawText(text, { x: 300, y: 260 - i * 26, size: 13, font }));
  return doc.save();
}
