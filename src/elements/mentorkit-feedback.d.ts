// Types for mentorkit-feedback.js, the element script for a page with the
// session-feedback widget alone: the same types as mentorkit-elements.d.ts,
// and the part of the JS API this script has. `mount` makes a feedback
// widget; the agreement helpers are in mentorkit-agreement.js.
import type { FeedbackOptions, Handle, MentorkitFeedbackElement, RecordKind } from './mentorkit-elements.js';

export type { Data, Labels, Clause, Question, Programme, Storage, Credentials, Theme, Respondent, AgreementFormat, FeedbackFormat, RecordKind, ErrorCode, MentorkitError, Problem, ValidationResult, AgreementSubmitDetail, FeedbackRecord, RecordAbout, FeedbackSubmitDetail, StatusDetail, ErrorDetail, DeliveredRecord, DeliverRefusal, MentorkitEventMap, MentorkitAgreementEventMap, MentorkitFeedbackEventMap, MentorkitAgreementElement, MentorkitFeedbackElement, AgreementOptions, FeedbackOptions, Handle } from './mentorkit-elements.js';

/** Mounts a feedback widget inside `target`; resolves once it has started. */
export function mount(target: Element, options?: Omit<FeedbackOptions, 'kind'> & { kind?: 'feedback' }): Promise<Handle<MentorkitFeedbackElement>>;

/** The JSON Schema (2020-12) of a record of `kind`, as an endpoint receives it. */
export function recordSchema(kind: RecordKind): Promise<Record<string, unknown>>;

/** Bytes of memory the WebAssembly modules this script started hold (another mentorkit script on the page counts its own). */
export function memoryBytes(): Promise<number>;
