export { EntitySecurityContent } from './EntitySecurityContent';
export { EntitySecurityCard } from './EntitySecurityCard';
