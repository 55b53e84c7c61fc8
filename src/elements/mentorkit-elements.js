// The element script for a page with both widgets: <mentorkit-agreement>,
// <mentorkit-feedback> and the whole JS API (see elements-core.js).
import initAgreement, * as agreementGlue from './mentorkit_agreement.js';
import initDocument, * as documentGlue from './mentorkit_document.js';
import initFeedback, * as feedbackGlue from './mentorkit_feedback.js';
import initHistory, * as historyGlue from './mentorkit_history.js';
import { widget } from './elements-core.js';

widget('agreement', initAgreement, agreementGlue, 'document', initDocument, documentGlue);
widget('feedback', initFeedback, feedbackGlue, 'history', initHistory, historyGlue);

export { mount, validateAgreement, renderAgreement, recordSchema, memoryBytes } from './elements-core.js';
