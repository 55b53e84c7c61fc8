// Types for mentorkit-elements.js: the two custom elements, their events, and
// the JS API. Importing the module (or this file) also types
// document.querySelector('mentorkit-agreement') and
// addEventListener('mentorkit-submit', …) everywhere in the page.

/** A widget's data: a flat object from field path (`mentee.name`, `goal.1.what`) to text. */
export type Data = Record<string, string>;

/** A language text per message name or field path, per BCP 47 tag. */
export type Labels = Record<string, Record<string, string>>;

/** A clause the programme adds to every agreement. */
export interface Clause {
  id: string;
  title: string;
  text: string;
  /** Must be accepted (true), or may be included (false, the default). */
  required?: boolean;
}

/** A question the programme adds to the feedback form. */
export interface Question {
  id: string;
  kind: 'rating' | 'choice' | 'multiple' | 'text' | 'long';
  label: string;
  help?: string;
  options?: string[];
  required?: boolean;
  /** Which form asks it; `session` by default. */
  form?: 'session' | 'checkin' | 'closing';
  /** Who receives the answer; `shared` by default. */
  audience?: 'shared' | 'programme' | 'private';
  /** (rating) The words for the scale's two ends, for 1 and for 5. */
  scale?: [string, string];
}

/** The programme's configuration: the `programme` property, or the JSON at `config`. */
export interface Programme {
  name?: string;
  contact?: string;
  /** Starting values by field path. */
  defaults?: Record<string, string>;
  /** Field paths shown read-only, always holding the programme's value. */
  locked?: string[];
  /** Step ids (and, for feedback, question ids or `checkin` / `closing`) left out. */
  hidden?: string[];
  /** Field paths that must be filled in. */
  required?: string[];
  /** (agreement) The programme's own clauses. */
  clauses?: Clause[];
  /** (feedback) The programme's own questions. */
  questions?: Question[];
  /** (feedback) The session questions shown before "More questions", by field path or `q.<id>`. */
  quick?: string[];
  /** Wording per language: `{ "es": { "Submit": "Enviar", "mentee.name": "…" } }`. */
  labels?: Labels;
}

export type Storage = 'local' | 'endpoint' | 'both';
export type Credentials = 'omit' | 'same-origin' | 'include';
export type Theme = 'light' | 'dark' | 'auto';
export type Respondent = 'mentee' | 'mentor';
export type AgreementFormat = 'md' | 'html' | 'txt' | 'ics' | 'json';
export type FeedbackFormat = 'csv' | 'json' | 'md' | 'html' | 'txt' | 'ics';
export type RecordKind = 'agreement' | 'session' | 'checkin' | 'closing';

/** Every code a `MentorkitError` or a `mentorkit-error` event carries. */
export type ErrorCode =
  | 'storage-unavailable' | 'storage-full' | 'storage-corrupt' | 'storage-newer-version' | 'storage-foreign'
  | 'bad-namespace' | 'config-invalid' | 'agreement-invalid' | 'endpoint-invalid' | 'headers-invalid'
  | 'deliver-invalid' | 'invitation-invalid' | 'record-invalid' | 'value-invalid' | 'format-unknown' | 'not-ready' | 'destroyed'
  | 'wasm-blocked' | 'wasm-load-failed' | 'target-invalid' | 'kind-invalid' | 'kind-unavailable' | 'option-unknown' | 'schema-missing' | 'api-unavailable'
  | 'busy' | 'shadow-unavailable' | 'start-failed' | 'render-failed' | 'history-loading' | 'history-unavailable'
  | 'document-loading' | 'document-unavailable';

/** What the widgets and helpers throw. */
export interface MentorkitError extends Error {
  name: 'MentorkitError';
  code: ErrorCode;
}

/** One problem `validate()` found. */
export interface Problem {
  /** The field's path, e.g. `goal.2.target`. */
  path: string;
  /** The id of the step it is on. */
  step: string;
  /** The message's stable name, e.g. `Required`. */
  code: string;
  /** The field's label, as the person reads it. */
  label: string;
  /** What is wrong, in the widget's language. */
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  problems: Problem[];
}

/** `detail` of `mentorkit-submit` from the agreement: everyone has signed. */
export interface AgreementSubmitDetail {
  schema: string;
  version: number;
  fingerprint: string;
  data: Data;
}

/** A saved feedback entry, without the private note. */
export interface FeedbackRecord {
  id: string;
  seq: number;
  version: number;
  kind: 'session' | 'checkin' | 'closing';
  created: string;
  submitted: string;
  data: Data;
}

/** Whom a record concerns. */
export interface RecordAbout {
  /** The pair: the invitation's, else made by the agreement when first saved. */
  pair: string;
  /** Who sent it (a feedback record always says; an agreement, signed by both, does not). */
  role?: Respondent;
  /** The agreement it belongs to: its record id… */
  agreement?: string;
  /** …and its fingerprint (64 hex digits), as the agreement's own record carries it. */
  fingerprint?: string;
}

/** `detail` of `mentorkit-submit` from the feedback form: an entry was saved. */
export interface FeedbackSubmitDetail {
  schema: 'mentorkit.feedback-record';
  version: number;
  record: FeedbackRecord;
}

/** `detail` of `mentorkit-status`: a record's way to the endpoint changed. */
export interface StatusDetail {
  id: string;
  kind: RecordKind;
  recordVersion: number;
  status: 'queued' | 'sending' | 'sent' | 'needs-attention';
  attempts: number;
  reason: string | null;
  /** ISO 8601, while queued. */
  nextAttempt: string | null;
}

/** `detail` of `mentorkit-error`. */
export interface ErrorDetail {
  code: ErrorCode;
  message: string;
}

/** A record as an endpoint receives it (and a `deliver` function is given). */
export interface DeliveredRecord {
  schema: 'mentorkit.record';
  version: number;
  id: string;
  kind: RecordKind;
  recordVersion: number;
  created: string;
  submitted: string;
  data: Data;
  /** Whom the record concerns (version 2); absent in version 1 records. */
  about?: RecordAbout;
}

/** A rejection a `deliver` function may give: treated like that HTTP answer. */
export interface DeliverRefusal {
  status: number;
  message?: string;
  /** Seconds to wait before retrying (for 429, 503 …). */
  retryAfter?: number;
}

export interface MentorkitEventMap<Submit> {
  'mentorkit-change': CustomEvent<Data>;
  'mentorkit-submit': CustomEvent<Submit>;
  'mentorkit-status': CustomEvent<StatusDetail>;
  'mentorkit-error': CustomEvent<ErrorDetail>;
}
export type MentorkitAgreementEventMap = MentorkitEventMap<AgreementSubmitDetail>;
export type MentorkitFeedbackEventMap = MentorkitEventMap<FeedbackSubmitDetail>;

/** Attributes, mirrored as properties of the same name. */
interface Configurable {
  namespace: string | null;
  locale: string | null;
  config: string | null;
  endpoint: string | null;
  storage: Storage | null;
  credentials: Credentials | null;
  theme: Theme | null;
  /** The programme's configuration; takes precedence over `config`. */
  programme: Programme | undefined;
  /** Extra request headers for the endpoint (kept in memory only). */
  headers: Record<string, string> | undefined;
  /** Used instead of an endpoint: resolve when delivered, reject with a `DeliverRefusal` or any error. */
  deliver: ((record: DeliveredRecord) => Promise<unknown>) | undefined;
  /**
   * The person's invitation from the programme (`mki_<pair>.<role>.<secret>`), kept in memory only:
   * records say they concern its pair and role, and go with `Authorization: Bearer <invitation>`.
   */
  invitation: string | null | undefined;
  /** The current data; setting it replaces the form's content. */
  value: Data | undefined;
  /**
   * Resolves once the widget has started (rejects with a `MentorkitError` if it cannot). The form is on
   * screen before; it resolves once the widget's second module (the agreement's document, the feedback
   * history) has arrived or could not be had, so `export()` can answer.
   */
  readonly ready: Promise<this>;
  /** Checks the current data without showing anything. */
  validate(): ValidationResult;
  /** Does what the widget's own submit button does, with the same checks. */
  submit(): void;
  /** Starts a fresh form without asking. */
  reset(): void;
}

export interface MentorkitAgreementElement extends HTMLElement, Configurable {
  /**
   * The agreement as text. Throws `document-loading` (`md`, `html`, `txt`, `ics`) before `ready` has
   * settled, `document-unavailable` if the document's module could not be had.
   */
  export(format: AgreementFormat): string;
  addEventListener<K extends keyof MentorkitAgreementEventMap>(type: K, listener: (this: MentorkitAgreementElement, ev: MentorkitAgreementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: MentorkitAgreementElement, ev: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof MentorkitAgreementEventMap>(type: K, listener: (this: MentorkitAgreementElement, ev: MentorkitAgreementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: MentorkitAgreementElement, ev: HTMLElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

export interface MentorkitFeedbackElement extends HTMLElement, Configurable {
  respondent: Respondent | null;
  /** The agreement to link, as its data; without it, the one saved under the same namespace. */
  agreement: Data | undefined;
  /**
   * The history as text: the shared copy, or with `{ full: true }` every version and note. Throws
   * `history-loading` before `ready` has settled, `history-unavailable` if the history's module could not be had.
   */
  export(format: FeedbackFormat, options?: { full?: boolean }): string;
  addEventListener<K extends keyof MentorkitFeedbackEventMap>(type: K, listener: (this: MentorkitFeedbackElement, ev: MentorkitFeedbackEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: MentorkitFeedbackElement, ev: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof MentorkitFeedbackEventMap>(type: K, listener: (this: MentorkitFeedbackElement, ev: MentorkitFeedbackEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: MentorkitFeedbackElement, ev: HTMLElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

interface CommonOptions {
  namespace?: string;
  locale?: string;
  config?: string;
  endpoint?: string;
  storage?: Storage;
  credentials?: Credentials;
  theme?: Theme;
  programme?: Programme;
  headers?: Record<string, string>;
  deliver?: (record: DeliveredRecord) => Promise<unknown>;
  invitation?: string | null;
  /** Data to start from instead of the saved draft. */
  value?: Data;
}

export interface AgreementOptions extends CommonOptions {
  kind?: 'agreement';
  on?: { [K in keyof MentorkitAgreementEventMap as K extends `mentorkit-${infer S}` ? S : never]?: (detail: MentorkitAgreementEventMap[K]['detail'], event: MentorkitAgreementEventMap[K]) => void };
}

export interface FeedbackOptions extends CommonOptions {
  kind: 'feedback';
  respondent?: Respondent;
  agreement?: Data;
  on?: { [K in keyof MentorkitFeedbackEventMap as K extends `mentorkit-${infer S}` ? S : never]?: (detail: MentorkitFeedbackEventMap[K]['detail'], event: MentorkitFeedbackEventMap[K]) => void };
}

/** What `mount` resolves with: the element's methods, and `destroy()`. */
export interface Handle<E extends MentorkitAgreementElement | MentorkitFeedbackElement> {
  readonly element: E;
  value: Data | undefined;
  validate(): ValidationResult;
  submit(): void;
  reset(): void;
  export: E['export'];
  /** The person's invitation, as the element's `invitation` property. */
  invitation: string | null | undefined;
  /** Removes the widget and its listeners and frees its memory. Saves unsaved edits first. */
  destroy(): void;
}

/** Mounts a widget inside `target`; resolves once it has started. */
export function mount(target: Element, options?: AgreementOptions): Promise<Handle<MentorkitAgreementElement>>;
export function mount(target: Element, options: FeedbackOptions): Promise<Handle<MentorkitFeedbackElement>>;

/** Checks an agreement's data without any element. */
export function validateAgreement(data: Data, options?: { programme?: Programme; locale?: string }): Promise<ValidationResult>;

/** Writes an agreement's data as Markdown, HTML, text, iCalendar or the draft file's JSON. */
export function renderAgreement(data: Data, format: AgreementFormat, options?: { programme?: Programme; locale?: string }): Promise<string>;

/** The JSON Schema (2020-12) of a record of `kind`, as an endpoint receives it. */
export function recordSchema(kind: RecordKind): Promise<Record<string, unknown>>;

/** Bytes of memory the WebAssembly module holds. */
export function memoryBytes(): Promise<number>;

declare global {
  interface HTMLElementTagNameMap {
    'mentorkit-agreement': MentorkitAgreementElement;
    'mentorkit-feedback': MentorkitFeedbackElement;
  }
  // The events bubble out of the shadow root, so any ancestor hears them.
  interface HTMLElementEventMap {
    'mentorkit-change': CustomEvent<Data>;
    'mentorkit-submit': CustomEvent<AgreementSubmitDetail | FeedbackSubmitDetail>;
    'mentorkit-status': CustomEvent<StatusDetail>;
    'mentorkit-error': CustomEvent<ErrorDetail>;
  }
  interface DocumentEventMap {
    'mentorkit-change': CustomEvent<Data>;
    'mentorkit-submit': CustomEvent<AgreementSubmitDetail | FeedbackSubmitDetail>;
    'mentorkit-status': CustomEvent<StatusDetail>;
    'mentorkit-error': CustomEvent<ErrorDetail>;
  }
}
