// A printable completion certificate (结业证书) as a one-page A4 PDF: pdf-lib, with Noto Sans SC
// (OFL, from the npm registry) embedded as a subset of the characters printed.
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import { formatDate } from '@rcsc/service-kit';

const FONT_FILE = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
/** The font file (10 MB), read once per process on first use. */
let fontBytes: Promise<Buffer> | null = null;

export interface PrintedCertificate {
  number: string;
  name: string;
  classTitle: string;
  hostName: string;
  completedOn: Date;
  issuedOn: Date;
  attendedHours: number;
}

/** 2021年10月13日 */
const chineseDate = (d: Date) => {
  const [y, m, day] = formatDate(d).split('-').map(Number);
  return `${y}年${m}月${day}日`;
};

/** The certificate's lines, as printed (also what the tests read back). */
export function certificateLines(c: PrintedCertificate): { title: string; body: string[]; footer: string[] } {
  return {
    title: '结业证书',
    body: [`${c.name}同志：`, `于${chineseDate(c.completedOn)}完成${c.classTitle}`, `的学习（出勤${c.attendedHours}学时），准予结业。`],
    footer: [c.hostName, `发证日期：${chineseDate(c.issuedOn)}`, `证书编号：${c.number}`],
  };
}

/** The PDF bytes of one certificate. */
export async function certificatePdf(c: PrintedCertificate): Promise<Uint8Array> {
  fontBytes ??= readFile(FONT_FILE);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  // Subset: only the glyphs printed are embedded (tens of kilobytes, not the 10 MB font).
  const font = await doc.embedFont(await fontBytes, { subset: true });
  doc.setTitle(`结业证书 ${c.number}`);
  doc.setSubject(c.classTitle);
  const page = doc.addPage([595.28, 841.89]); // A4 in points
  const { width } = page.getSize();
  const lines = certificateLines(c);
  const centred = (text: string, y: number, size: number) =>
    page.drawText(text, { x: (width - font.widthOfTextAtSize(text, size)) / 2, y, size, font, color: rgb(0.1, 0.1, 0.1) });
  page.drawRectangle({ x: 36, y: 36, width: width - 72, height: 841.89 - 72, borderColor: rgb(0.75, 0.1, 0.1), borderWidth: 3 });
  centred(lines.title, 700, 36);
  lines.body.forEach((text, i) => page.drawText(text, { x: 80, y: 600 - i * 32, size: i === 0 ? 18 : 15, font }));
  lines.footer.forEach((text, i) => page.drawText(text, { x: 300, y: 260 - i * 26, size: 13, font }));
  return doc.save();
}
