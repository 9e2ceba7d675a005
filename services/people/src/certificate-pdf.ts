// The volunteer service certificate (志愿服务证明): its wording here, the printing in @rcsc/tables.
import { certificatePdf, chineseDate, type CertificateLines } from '@rcsc/tables';

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

/** The certificate's lines, as printed (also what the tests read back). */
export function serviceCertificateLines(c: ServiceCertificate): CertificateLines {
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
export function serviceCertificatePdf(c: ServiceCertificate): Promise<Uint8Array> {
  return certificatePdf(serviceCertificateLines(c), { title: `志愿服务证明 ${c.number}`, subject: `${c.name} ${c.hours}` });
}
