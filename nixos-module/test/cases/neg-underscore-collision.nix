# '_' becomes '-' in a canonical domain (as in warm.core.naming), so my_app's canonical is warm-my-app.<ciDomain>.
# expect: canonical domain 'warm-my-app.ci.example.org' equals the domain of infra app 'myapp'
{ services.cc-ci-warm = { enable = true; ciDomain = "ci.example.org";
    recipes.my_app = { }; infra.myapp.domain = "warm-my-app.ci.example.org"; }; }
