// A printable volunteer service certificate (志愿服务证明) as a one-page A4 PDF: pdf-lib with Noto
// Sans SC (OFL, from the npm registry) embedded as a subset, as training prints its certificates.
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import { formatDate } from '@rcsc/service-kit';

const FONT_FILE = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
/** The font file (10 MB), read once per process on first use. */
let fontBytes: Promise<Buffer> | null = null;

export interface ServiceCertificate {
  name: string;
  idNumberMasked: string;
  branchName: string;
  /** The period asked (null: open) and the confirmed service found in it. */
  from: Date | null;
  to: Date | null;
  firstDay: Date | null;
  lastDay: Date | null;
  records: number;
  hours: number;
  issuedOn: Date;
  number: string;
}

/** 2021年10月13日 */
export const chineseDate = (d: Date) => {
  const [y, m, day] = formatDate(d).split('-').map(Number);
  return `${y}年${m}月${day}日`;
};

/** The certificate's lines, as printed (also what the tests read back). */
export function serviceCertificateLines(c: ServiceCertificate): { title: string; body: string[]; footer: string[] } {
  const from = c.from ?? c.firstDay;
  const to = c.to ?? c.lastDay;
  const period = from && to ? `${chineseDate(from)}至${chineseDate(to)}期间` : '';
  return {
    title: '志愿服务证明',
    body: [
      `兹证明${c.name}（身份证号${c.idNumberMasked}）`,
      `为${c.branchName}注册志愿者，${period}`,
      `参加志愿服务${c.records}次，经确认的志愿服务时长`,
      `共计${c.hours}小时。`,
      '特此证明。',
    ],
    footer: [c.branchName, `开具日期：${chineseDate(c.issuedOn)}`, `证明编号：${c.number}`],
  };
}

/** The PDF bytes of one certificate. */
export async function serviceCertificatePdf(c: ServiceCertificate): Promise<Uint8Array> {
  fontBytes ??= readFile(FONT_FILE);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  // Subset: only the glyphs printed are embedded (tens of kilobytes, not the 10 MB font).
  const font = await doc.embedFont(await fontBytes, { subset: true });
  doc.setTitle(`志愿服务证明 ${c.number}`);
  doc.setSubject(`${c.name} ${c.hours}`);
  const page = doc.addPage([595.28, 841.89]); // A4 in points
  const { width } = page.getSize();
  const lines = serviceCertificateLines(c);
  const title = (text: string, y: number, size: number) =>
    page.drawText(text, { x: (width - font.widthOfTextAtSize(text, size)) / 2, y, size, font, color: rgb(0.1, 0.1, 0.1) });
  page.drawRectangle({ x: 36, y: 36, width: width - 72, height: 841.89 - 72, borderColor: rgb(0.75, 0.1, 0.1), borderWidth: 3 });
  title(lines.title, 700, 36);
  lines.body.forEach((text, i) => page.drawText(text, { x: 80, y: 600 - i * 32, size: 15, font }));
  lines.footer.forEach((text, i) => page.drawText(text, { x: 300, y: 260 - i * 26, size: 13, font }));
  return doc.save();
}
