export { ScopeSecurityContent } from './ScopeSecurityContent';
