export { ControlFailureReviewCard } from './ControlFailureReviewCard';
