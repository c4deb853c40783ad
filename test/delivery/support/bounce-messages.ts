/** The report messages live with the report check, which sends them to a running stack too. */
export {
  deliverReport,
  deliveryStatusNotification,
  feedbackReport,
  type ReturnedEmail,
} from '../../../load-tests/report-check/bounce-messages.js';
