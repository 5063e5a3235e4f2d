export { ExceptionQueue } from './ExceptionQueue';
export { ExceptionsTable } from './ExceptionsTable';
export { RequestExceptionDialog } from './RequestExceptionDialog';
