// The completion certificate (结业证书) of a class: its wording here, the printing in @rcsc/tables.
import { certificatePdf as printCertificate, chineseDate, type CertificateLines } from '@rcsc/tables';

export interface PrintedCertificate {
  number: string;
  name: string;
  classTitle: string;
  hostName: string;
  completedOn: Date;
  issuedOn: Date;
  attendedHours: number;
}

/** The certificate's lines, as printed (also what the tests read back). */
export function certificateLines(c: PrintedCertificate): CertificateLines {
  return {
    title: '结业证书',
    body: [`${c.name}同志：`, `于${chineseDate(c.completedOn)}完成${c.classTitle}`, `的学习（出勤${c.attendedHours}学时），准予结业。`],
    footer: [c.hostName, `发证日期：${chineseDate(c.issuedOn)}`, `证书编号：${c.number}`],
  };
}

/** The PDF bytes of one certificate. */
export function certificatePdf(c: PrintedCertificate): Promise<Uint8Array> {
  return printCertificate(certificateLines(c), { title: `结业证书 ${c.number}`, subject: c.classTitle, firstLineSize: 18 });
}
