import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';

/** The org overview's one box: "which services contain …" opens the search page with the query. */
export function PortfolioSearchBox({ searchPath = '/devsecops/search' }: { searchPath?: string }) {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) navigate(`${searchPath}?package=${encodeURIComponent(text.trim())}`);
  };
  return (
    <form onSubmit={submit} role="search" aria-label="which services contain a package">
      <Stack direction="row" gap={1} alignItems="center">
        <TextField
          size="small"
          label="Which services contain…"
          placeholder="log4j-core@<2.17"
          value={text}
          onChange={e => setText(e.target.value)}
          sx={{ minWidth: 300 }}
        />
        <Button type="submit" variant="outlined">
          Find
        </Button>
      </Stack>
    </form>
  );
}
