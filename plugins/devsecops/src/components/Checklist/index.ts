export { EntityChecklistCard, ScopeChecklistCard } from './ChecklistCard';
