// A host page's script, type-checked against the published types
// (`tsc --noEmit -p tests/types`). Every line must compile, except the ones
// marked as expected errors: those prove the types catch such mistakes.
import { mount, validateAgreement, renderAgreement, recordSchema } from '../../pkg/mentorkit-elements.js';
import type { AgreementSubmitDetail, DeliveredRecord, FeedbackSubmitDetail, ErrorCode, MentorkitError, Programme, RecordAbout } from '../../pkg/mentorkit-elements.js';

const programme: Programme = {
  name: 'Harbourlight Arts',
  defaults: { 'meet.cadence': '30-fortnightly' },
  locked: ['meet.cadence'],
  clauses: [{ id: 'photos', title: 'Photos', text: 'We ask before taking photos.', required: true }],
  labels: { es: { Submit: 'Enviar' } },
};

// The tag name map gives the element's own type.
const agreement = document.querySelector('mentorkit-agreement');
if (agreement) {
  agreement.programme = programme;
  agreement.namespace = 'harbourlight';
  agreement.theme = 'dark';
  agreement.addEventListener('mentorkit-submit', (event) => {
    const fingerprint: string = event.detail.fingerprint;
    console.log(fingerprint, event.detail.data['mentee.name']);
  });
  agreement.addEventListener('mentorkit-error', (event) => {
    const code: ErrorCode = event.detail.code;
    console.warn(code, event.detail.message);
  });
  agreement.ready.then((element) => {
    const result = element.validate();
    for (const problem of result.problems) console.log(problem.path, problem.message);
    const markdown: string = element.export('md');
    console.log(markdown.length);
    // @ts-expect-error the agreement has no CSV export
    element.export('csv');
  });
  // @ts-expect-error theme is light, dark or auto
  agreement.theme = 'sepia';
}

const feedback = document.querySelector('mentorkit-feedback');
feedback?.addEventListener('mentorkit-submit', (event) => {
  const detail: FeedbackSubmitDetail = event.detail;
  console.log(detail.record.kind, detail.record.data['date']);
});
feedback?.addEventListener('mentorkit-status', (event) => {
  if (event.detail.status === 'needs-attention') console.warn(event.detail.reason);
});

// Ancestors hear the events too: they bubble out of the shadow root.
document.addEventListener('mentorkit-submit', (event) => {
  const detail: AgreementSubmitDetail | FeedbackSubmitDetail = event.detail;
  console.log(detail.schema);
});

async function main(): Promise<void> {
  const host = document.getElementById('mentoring');
  if (!host) return;
  const widget = await mount(host, {
    kind: 'feedback',
    namespace: 'harbourlight',
    respondent: 'mentee',
    storage: 'both',
    endpoint: '/api/records',
    headers: { 'X-Programme-Key': 'k' },
    on: {
      submit: (detail) => console.log(detail.record.id),
      error: (detail) => console.warn(detail.code),
    },
  });
  const csv: string = widget.export('csv', { full: false });
  widget.value = { ...widget.value, 'notes.shared': 'Went well' };
  widget.destroy();
  console.log(csv);

  // A person's invitation from the programme, passed in from the link that opened the page.
  const invited = new URLSearchParams(location.hash.slice(1)).get('invitation');
  const builder = await mount(host, {
    namespace: 'x',
    value: { 'mentee.name': 'Ada' },
    invitation: invited,
    deliver: async (record: DeliveredRecord) => {
      const about: RecordAbout | undefined = record.about;
      console.log(about?.pair, about?.role === 'mentee', about?.fingerprint);
    },
  });
  builder.invitation = null;
  builder.submit();
  builder.destroy();

  const checked = await validateAgreement({ 'mentee.name': 'Ada' }, { programme, locale: 'fr' });
  if (!checked.valid) console.log(checked.problems[0]?.label);
  const text: string = await renderAgreement({ 'mentee.name': 'Ada' }, 'txt');
  const schema = await recordSchema('session');
  console.log(text, schema['$id']);

  try {
    await mount(host, { kind: 'feedback', namespace: 'x' });
  } catch (error) {
    console.warn((error as MentorkitError).code);
  }
  // @ts-expect-error there is no such widget
  await mount(host, { kind: 'survey' });
  // @ts-expect-error the events are change, submit, status and error
  await mount(host, { on: { saved: () => {} } });
}

void main();
