// Types for mentorkit-agreement.js, the element script for a page with the
// agreement builder alone: the same types as mentorkit-elements.d.ts, and the
// part of the JS API this script has. `mount` makes an agreement builder;
// the feedback widget is in mentorkit-feedback.js.
import type { AgreementFormat, AgreementOptions, Data, Handle, MentorkitAgreementElement, Programme, RecordKind, ValidationResult } from './mentorkit-elements.js';

export type { Data, Labels, Clause, Question, Programme, Storage, Credentials, Theme, Respondent, AgreementFormat, FeedbackFormat, RecordKind, ErrorCode, MentorkitError, Problem, ValidationResult, AgreementSubmitDetail, FeedbackRecord, RecordAbout, FeedbackSubmitDetail, StatusDetail, ErrorDetail, DeliveredRecord, DeliverRefusal, MentorkitEventMap, MentorkitAgreementEventMap, MentorkitFeedbackEventMap, MentorkitAgreementElement, MentorkitFeedbackElement, AgreementOptions, FeedbackOptions, Handle } from './mentorkit-elements.js';

/** Mounts an agreement builder inside `target`; resolves once it has started. */
export function mount(target: Element, options?: AgreementOptions): Promise<Handle<MentorkitAgreementElement>>;

/** Checks an agreement's data without any element. */
export function validateAgreement(data: Data, options?: { programme?: Programme; locale?: string }): Promise<ValidationResult>;

/** Writes an agreement's data as Markdown, HTML, text, iCalendar or the draft file's JSON. */
export function renderAgreement(data: Data, format: AgreementFormat, options?: { programme?: Programme; locale?: string }): Promise<string>;

/** The JSON Schema (2020-12) of a record of `kind`, as an endpoint receives it. */
export function recordSchema(kind: RecordKind): Promise<Record<string, unknown>>;

/** Bytes of memory the WebAssembly modules this script started hold (another mentorkit script on the page counts its own). */
export function memoryBytes(): Promise<number>;
