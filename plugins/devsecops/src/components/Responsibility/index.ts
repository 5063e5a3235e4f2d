export { ResponsibilityMatrixCard } from './ResponsibilityMatrixCard';
