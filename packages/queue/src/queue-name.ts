/**
 * The BullMQ queue the jobservice owns. Producers other than the jobservice
 * go through its HTTP API; the name is shared so dashboards and tools that
 * read Redis directly agree with it.
 */
export const jobQueueName = 'harbor-jobs';
