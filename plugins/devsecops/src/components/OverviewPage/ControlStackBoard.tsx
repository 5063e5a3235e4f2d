import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import {
  ControlStackResponse,
  controlsByStage,
} from '@devsecops-scorecard/plugin-devsecops-common';

/** The five delivery stages as columns, each with its controls, fail condition and evidence. */
export function ControlStackBoard({ stack }: { stack: ControlStackResponse }) {
  const columns = controlsByStage(stack.controls, stack.stages);
  return (
    <Box
      sx={{
        display: 'grid',
        gap: 2,
        gridTemplateColumns: {
          xs: '1fr',
          md: 'repeat(auto-fit, minmax(200px, 1fr))',
        },
      }}
    >
      {columns.map(({ stage, controls }, index) => (
        <Card
          key={stage.id}
          variant="outlined"
          component="section"
          aria-label={`${stage.title} stage`}
        >
          <CardHeader
            title={`${index + 1}. ${stage.title}`}
            titleTypographyProps={{ variant: 'h6', component: 'h3' }}
          />
          <CardContent>
            <Stack direction="row" flexWrap="wrap" gap={1} mb={2}>
              {controls.map(control => (
                <Chip key={control.id} label={control.title} size="small" />
              ))}
            </Stack>
            <Typography variant="overline" component="p">
              Fails when
            </Typography>
            <Typography variant="body2" mb={1}>
              {stage.failCondition}
            </Typography>
            <Typography variant="overline" component="p">
              Evidence
            </Typography>
            <Typography variant="body2">{stage.evidence}</Typography>
          </CardContent>
        </Card>
      ))}
    </Box>
  );
}
