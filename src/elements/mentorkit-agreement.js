// The element script for a page with the agreement builder alone:
// <mentorkit-agreement> and the JS API without the feedback widget (see
// elements-core.js). It carries neither the feedback widget's code nor its
// module's hash.
import * as agreementGlue from './mentorkit_agreement.js';
import { widget } from './elements-core.js';

widget('agreement', agreementGlue, 'document');

export { mount, validateAgreement, renderAgreement, recordSchema, memoryBytes } from './elements-core.js';
