import { Roles } from '@rcsc/access';
import { formatDate } from '@rcsc/service-kit';
import type { MutationResolvers } from '../../generated/graphql';
import type { CertificateDoc, EnrollmentDoc } from '../../models';
import { certificateNumber, checkCertificateIssue, isCompleted } from '../../rules';
import { pipeline } from './pipeline';

/** Numbered completion certificates. */
export const certificateMutations: Pick<MutationResolvers, 'issueCertificates'> = {
  // The class's organiser issues certificates to every completed trainee who has none yet
  // (idempotent). Numbers come from the host's sequence for the year, moved in this transaction:
  // two issuers at once write-conflict on the counter and one retries with the next numbers.
  issueCertificates: (_, { classId, on }, ctx) =>
    pipeline.mutate(ctx, { action: 'issueCertificates', roles: Roles.TRAINING_MANAGERS, does: 'issue certificates' }, async (change) => {
      const cls = await change.own(ctx.models.TrainingClass, 'TrainingClass', classId, 'classId');
      checkCertificateIssue(cls, on);
      const completed = (
        (await ctx.models.Enrollment.find({ classId: cls._id, completedOn: { $ne: null }, withdrawnOn: null })
          .sort({ enrolledOn: 1, _id: 1 })
          .session(change.session)
          .lean()) as EnrollmentDoc[]
      ).filter((e) => isCompleted(e.completedOn));
      const issued = new Set(
        ((await ctx.models.Certificate.find({ classId: cls._id }).session(change.session).lean()) as CertificateDoc[]).map((c) =>
          String(c.enrollmentId),
        ),
      );
      const due = completed.filter((e) => !issued.has(String(e._id)));
      if (!due.length) return [];
      const year = Number(formatDate(cls.endsOn).slice(0, 4));
      const host = await ctx.directory.get(String(cls.organizationId));
      const counter = await ctx.models.CertificateCounter.findOneAndUpdate(
        { _id: `${String(cls.organizationId)}:${year}` },
        { $inc: { last: due.length } },
        { upsert: true, returnDocument: 'after', session: change.session },
      ).lean();
      const first = counter!.last - due.length + 1;
      const created: CertificateDoc[] = [];
      for (const [i, e] of due.entries()) {
        created.push(
          await change.create(ctx.models.Certificate, 'Certificate', {
            number: certificateNumber(year, host?.divisionCode, first + i),
            enrollmentId: e._id,
            classId: cls._id,
            name: e.name,
            organizationId: e.organizationId,
            orgPath: e.orgPath,
            completedOn: e.completedOn!,
            issuedOn: on,
          }),
        );
      }
      return created;
    }),
};
