// The element script for a page with both widgets: <mentorkit-agreement>,
// <mentorkit-feedback> and the whole JS API (see elements-core.js).
import * as agreementGlue from './mentorkit_agreement.js';
import * as feedbackGlue from './mentorkit_feedback.js';
import { widget } from './elements-core.js';

widget('agreement', agreementGlue, 'document');
widget('feedback', feedbackGlue, 'history');

export { mount, validateAgreement, renderAgreement, recordSchema, memoryBytes } from './elements-core.js';
