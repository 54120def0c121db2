// The worker's workflowsPath: workflow functions only.
export { bankConnectionWorkflow } from './bank-connection.js';
export { notificationDeliveryWorkflow } from './notification-delivery.js';
export { rematchWorkflow } from './rematch.js';
