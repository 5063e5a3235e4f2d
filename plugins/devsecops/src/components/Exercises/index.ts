export { ExercisesPage } from './ExercisesPage';
export { RecordExerciseDialog } from './RecordExerciseDialog';
