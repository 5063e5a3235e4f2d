export { devsecopsStageGateColumn } from './catalogColumn';
export { MyServicesCard, MyServicesContent } from './MyServicesCard';
export { StageGateCell } from './StageGateCell';
