export { RecurringFindingsCard } from './RecurringFindingsCard';
