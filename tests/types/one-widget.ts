// A page with one widget, type-checked against the one-widget scripts' types.
// Lines marked as expected errors prove those types hold only that widget.
import { mount as mountFeedback, recordSchema } from '../../pkg/mentorkit-feedback.js';
import { mount as mountAgreement, renderAgreement } from '../../pkg/mentorkit-agreement.js';
import type { FeedbackSubmitDetail, StatusDetail } from '../../pkg/mentorkit-feedback.js';
// @ts-expect-error: the feedback script has no agreement helpers.
import { validateAgreement } from '../../pkg/mentorkit-feedback.js';

export async function onePage(target: Element): Promise<void> {
  // Without a kind, each script's mount makes its own widget.
  const feedback = await mountFeedback(target, { namespace: 'riverside', respondent: 'mentee', on: { submit: (detail: FeedbackSubmitDetail) => console.log(detail.record.id), status: (s: StatusDetail) => console.log(s.status) } });
  feedback.export('csv', { full: true });
  // @ts-expect-error: the feedback script cannot mount an agreement.
  await mountFeedback(target, { kind: 'agreement' });
  const agreement = await mountAgreement(target, { namespace: 'riverside' });
  agreement.export('ics');
  // @ts-expect-error: the agreement script's mount takes no respondent.
  await mountAgreement(target, { respondent: 'mentor' });
  console.log(await renderAgreement({ 'mentee.name': 'Ana' }, 'md'), await recordSchema('session'), validateAgreement);
}
