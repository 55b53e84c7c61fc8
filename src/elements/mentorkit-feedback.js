// The element script for a page with the session-feedback widget alone:
// <mentorkit-feedback> and the JS API without the agreement builder (see
// elements-core.js). It carries neither the agreement's code nor its
// module's hash.
import * as feedbackGlue from './mentorkit_feedback.js';
import { widget } from './elements-core.js';

widget('feedback', feedbackGlue, 'history');

export { mount, recordSchema, memoryBytes } from './elements-core.js';
