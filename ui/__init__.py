"""User-interface helpers of the Tilannekuva Streamlit app: strings, state, charts, formatting."""
