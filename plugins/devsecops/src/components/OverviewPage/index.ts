export { DevsecopsPage } from './DevsecopsPage';
export { OverviewContent } from './OverviewContent';
