export { devsecopsStageGateColumn } from './catalogColumn';
export { MyServicesCard } from './MyServicesCard';
export { StageGateCell } from './StageGateCell';
