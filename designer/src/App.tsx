/** The application shell: sign-in, navigation between the designer and the workspace. */
export function App() {
  return <main>Gatehouse</main>;
}
