export { ExceptionQueue } from './ExceptionQueue';
export { ExceptionDetail } from './ExceptionDetail';
export { ExceptionsPage } from './ExceptionsPage';
export { ExceptionsTable } from './ExceptionsTable';
export { RequestExceptionDialog } from './RequestExceptionDialog';
