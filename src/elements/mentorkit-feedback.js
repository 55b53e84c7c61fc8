// The element script for a page with the session-feedback widget alone:
// <mentorkit-feedback> and the JS API without the agreement builder (see
// elements-core.js). It carries neither the agreement's code nor its
// module's hash.
import initFeedback, * as feedbackGlue from './mentorkit_feedback.js';
import initHistory, * as historyGlue from './mentorkit_history.js';
import { widget } from './elements-core.js';

widget('feedback', initFeedback, feedbackGlue, 'history', initHistory, historyGlue);

export { mount, recordSchema, memoryBytes } from './elements-core.js';
